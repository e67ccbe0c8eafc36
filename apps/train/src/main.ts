console.log('apps/train is not there yet: the MNIST trainer lands with issue 4.');
